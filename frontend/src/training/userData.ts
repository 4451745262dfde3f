/** Editing the user's points: pure, so the editor's arithmetic can be tested. */
import type { UserPoint } from "./csv";

/** The point nearest to (x, y) within `reach` (in data units), or -1 when none is that close. */
export function nearestPoint(points: readonly UserPoint[], x: number, y: number, reach: number): number {
  let best = -1;
  let bestDistance = reach;
  points.forEach(([px, py], index) => {
    const distance = Math.hypot(px - x, py - y);
    if (distance <= bestDistance) {
      best = index;
      bestDistance = distance;
    }
  });
  return best;
}

/** The points without the one at `index`. */
export function withoutPoint(points: readonly UserPoint[], index: number): UserPoint[] {
  return points.filter((_, i) => i !== index);
}

/** "12 points: 4 of class 0, 8 of class 2" (or "No points yet"). */
export function describePoints(points: readonly UserPoint[]): string {
  if (points.length === 0) return "No points yet";
  const counts = new Map<number, number>();
  points.forEach(([, , label]) => counts.set(label, (counts.get(label) ?? 0) + 1));
  const parts = [...counts.entries()].sort(([a], [b]) => a - b).map(([label, count]) => `${count} of class ${label}`);
  return `${points.length} point${points.length === 1 ? "" : "s"}: ${parts.join(", ")}`;
}
