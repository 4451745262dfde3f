/**
 * The values of large tensors, loaded when the page draws them. Events carry only a summary of a
 * tensor over 64 elements; a view that draws one asks this cache for the variable at least as new
 * as the event that summarised it. The cache keeps each variable's ETag, so asking again after a
 * change that left it as it was costs a 304 and no body.
 */
import type { VariableVersion } from "../api/client";
import type { NestedNumbers } from "../api/types";

/** Loads one variable, sending the ETag of the copy held (or null); "unchanged" when it still holds. */
export type VariableLoader = (name: string, etag: string | null) => Promise<VariableVersion | "unchanged">;

/** A variable's tensors in full, read into numbers, and the shape they have. */
export interface FullTensors {
  shape: number[];
  value: NestedNumbers;
  grad: NestedNumbers | null;
}

/** The variables held, by name. */
export interface TensorCache {
  /** The newest copy held of `name`, however old; null when none. */
  peek(name: string): FullTensors | null;
  /**
   * A copy of `name` that includes event `version` (the copy held when it is new enough, else one
   * loaded now); concurrent asks for the same name and version share one request.
   */
  load(name: string, version: number): Promise<FullTensors>;
}

/** How many variables the cache keeps; the ones drawn least recently go first. */
export const CACHE_SIZE = 64;

interface Entry {
  tensors: FullTensors;
  etag: string | null;
  /** The newest event the copy is known to include. */
  version: number;
}

/** An empty cache that loads with `loader`. */
export function tensorCache(loader: VariableLoader, size: number = CACHE_SIZE): TensorCache {
  const entries = new Map<string, Entry>();
  const flights = new Map<string, { version: number; answer: Promise<FullTensors> }>();

  const keep = (name: string, entry: Entry) => {
    const held = entries.get(name);
    // An answer to an older request that arrives late must not replace a newer copy.
    if (held !== undefined && held.version > entry.version) return;
    entries.delete(name); // re-inserted last: the Map's order is the order of use
    entries.set(name, entry);
    for (const oldest of entries.keys()) {
      if (entries.size <= size) break;
      entries.delete(oldest);
    }
  };

  const fetchNew = async (name: string, version: number): Promise<FullTensors> => {
    // Asked after event `version` arrived, so whatever the server answers includes it.
    const held = entries.get(name);
    const answer = await loader(name, held?.etag ?? null);
    if (answer === "unchanged") {
      if (held === undefined) throw new Error(`the server said ${name} is unchanged, but no copy is held`);
      keep(name, { ...held, version });
      return held.tensors;
    }
    const { detail, etag } = answer;
    const tensors = {
      shape: detail.shape,
      value: detail.value,
      grad: detail.grad,
    };
    keep(name, { tensors, etag, version });
    return tensors;
  };

  return {
    peek: (name) => entries.get(name)?.tensors ?? null,
    load(name, version) {
      const held = entries.get(name);
      if (held !== undefined && held.version >= version) {
        keep(name, held);
        return Promise.resolve(held.tensors);
      }
      const flight = flights.get(name);
      if (flight !== undefined && flight.version >= version) return flight.answer;
      const answer = fetchNew(name, version).finally(() => {
        if (flights.get(name)?.answer === answer) flights.delete(name);
      });
      flights.set(name, { version, answer });
      return answer;
    },
  };
}
