/** Light, dark or system colours: a three-way switch whose choice the browser remembers. */
import { THEME_CHOICES, themeStore, useTheme, type ThemeChoice } from "../state/theme";

const LABELS: Record<ThemeChoice, { icon: string; text: string }> = {
  light: { icon: "☀", text: "Light" },
  dark: { icon: "☾", text: "Dark" },
  system: { icon: "◐", text: "System" },
};

/** A radio group named "Theme"; "System" follows the operating system's light or dark setting. */
export function ThemeToggle() {
  const { choice } = useTheme();
  return (
    <fieldset className="theme-toggle" role="radiogroup" aria-label="Theme">
      {THEME_CHOICES.map((option) => (
        <label key={option} title={option === "system" ? "Follow the system's light or dark setting" : undefined}>
          <input
            type="radio"
            name="theme"
            value={option}
            checked={choice === option}
            onChange={() => themeStore().choose(option)}
          />
          <span aria-hidden="true">{LABELS[option].icon}</span>
          {LABELS[option].text}
        </label>
      ))}
    </fieldset>
  );
}
