/** The keys that drive the backprop player, read without a DOM so they can be tested. */
import { SPEEDS } from "./useBackpropAnimation";

/** The keys as the player's help text lists them. */
export const PLAYER_KEYS_HELP = "Keys: Space play/pause, → step, ← step back, [ slower, ] faster.";

/** What a key asks of the player. */
export type PlayerCommand = "toggle" | "step" | "back" | "slower" | "faster";

const COMMANDS: Readonly<Record<string, PlayerCommand>> = {
  " ": "toggle",
  ArrowRight: "step",
  ArrowLeft: "back",
  "[": "slower",
  "]": "faster",
};

/** The element a key went to, as far as telling a text field apart needs. */
export interface KeyTarget {
  tagName: string;
  type?: string;
  isContentEditable?: boolean;
}

/** Inputs whose keys are not text: a key pressed on them may still drive the player. */
const NON_TEXT_INPUTS = new Set(["checkbox", "radio", "button", "submit", "range"]);

/** The command of a key, or null for other keys and for keys typed into a text field. */
export function playerCommand(key: string, target: KeyTarget | null): PlayerCommand | null {
  if (target !== null && isTextField(target)) return null;
  return COMMANDS[key] ?? null;
}

/** True for an element that takes typed text: the keys pressed in it are not commands. */
export function isTextField({ tagName, type = "", isContentEditable = false }: KeyTarget): boolean {
  const tag = tagName.toUpperCase();
  if (tag === "INPUT") return !NON_TEXT_INPUTS.has(type);
  return tag === "TEXTAREA" || tag === "SELECT" || isContentEditable;
}

/** The next speed up (+1) or down (-1), staying within the speeds offered. */
export function nextSpeed(speed: number, direction: 1 | -1): number {
  const at = SPEEDS.findIndex((offered) => offered === speed);
  const next = Math.min(SPEEDS.length - 1, Math.max(0, at + direction));
  return SPEEDS[next] ?? speed;
}
