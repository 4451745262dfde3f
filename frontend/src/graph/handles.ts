/** Where edges attach to a node: shared by the node components and the layout, so both agree. */

/** Handle id of a gate's i-th input. */
export const inputHandle = (index: number): string => `in-${index}`;

/** Handle id of a gate's j-th output. */
export const outputHandle = (index: number): string => `out-${index}`;

/** Fraction of a node's height at which the i-th of `count` handles sits, spread evenly. */
export function handleOffset(index: number, count: number): number {
  return (index + 1) / (count + 1);
}
