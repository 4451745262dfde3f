/** The backprop player driven from the keyboard while it shows a backprop. */
import { useEffect } from "react";
import { nextSpeed, playerCommand, type PlayerCommand } from "./playerKeys";
import type { BackpropAnimation } from "./useBackpropAnimation";

/** Listens for the player's keys (see PLAYER_KEYS_HELP) on the whole page while a backprop is shown. */
export function usePlayerKeys(animation: BackpropAnimation): void {
  useEffect(() => {
    if (animation.playback.kind === "idle") return;
    function onKey(event: KeyboardEvent) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const command = playerCommand(event.key, event.target instanceof HTMLElement ? event.target : null);
      if (command === null) return;
      // Space would also press the focused button, and the arrows scroll the page.
      event.preventDefault();
      run(animation, command);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [animation]);
}

function run(animation: BackpropAnimation, command: PlayerCommand): void {
  const playing = animation.playback.kind === "showing" && animation.playback.playing;
  const actions: Record<PlayerCommand, () => void> = {
    toggle: playing ? animation.pause : animation.play,
    step: animation.step,
    back: animation.back,
    slower: () => animation.setSpeed(nextSpeed(animation.speed, -1)),
    faster: () => animation.setSpeed(nextSpeed(animation.speed, 1)),
  };
  actions[command]();
}
