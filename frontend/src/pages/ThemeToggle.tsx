/** Light, dark or system colours: a three-way switch whose choice the browser remembers. */
import { THEME_CHOICES, themeStore, useTheme, type ThemeChoice } from "../state/theme";

const LABELS: Record<ThemeChoice, { icon: string; text: string; hint: string }> = {
  light: { icon: "☀", text: "Light", hint: "Light colours" },
  dark: { icon: "☾", text: "Dark", hint: "Dark colours" },
  system: { icon: "◐", text: "System", hint: "Follow the system's light or dark setting" },
};

/**
 * A radio group named "Theme" of three icons ("Light", "Dark", "System" to assistive technology
 * and in their tooltips); "System" follows the operating system's light or dark setting.
 */
export function ThemeToggle() {
  const { choice } = useTheme();
  return (
    <fieldset className="theme-toggle" role="radiogroup" aria-label="Theme">
      {THEME_CHOICES.map((option) => (
        <label key={option} title={LABELS[option].hint}>
          <input
            type="radio"
            name="theme"
            value={option}
            checked={choice === option}
            onChange={() => themeStore().choose(option)}
          />
          <span aria-hidden="true">{LABELS[option].icon}</span>
          <span className="visually-hidden">{LABELS[option].text}</span>
        </label>
      ))}
    </fieldset>
  );
}
