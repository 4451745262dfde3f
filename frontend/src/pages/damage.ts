/** What to tell people about a workspace that could not be loaded whole. */
import type { Damage } from "../api/types";

/** One sentence on what was lost and why, for the banner over a damaged workspace. */
export function describeDamage(damage: Damage): string {
  const lost = damage.lost_operations === 1 ? "1 change" : `${damage.lost_operations} changes`;
  const where = damage.kind === "snapshot" ? "its saved state" : `change ${damage.at} (${damage.kind})`;
  return `This workspace could not be loaded whole: ${where} is unreadable (${damage.reason}), so ${lost} from there on are missing.`;
}
