/** The graph as a picture from the server (SVG, PNG, DOT), drawn as the page shows it, and copied as an image. */
import { answerAsSent, bearer, rest } from "../api/rest";
import type { Theme } from "../state/theme";

/** The picture formats the server draws. */
export type PictureFormat = "svg" | "png" | "dot";

/** Pixels per unit of the SVG in a PNG: twice the page's size, sharp on slides and high-density screens. */
const PNG_SCALE = 2;

/** What the picture shows: the workspace, in the page's theme, with the same module groups folded. */
export interface PictureOf {
  id: string;
  token: string;
  theme: Theme;
  /** Module groups drawn folded (the server folds modules, not runs of the history). */
  fold: readonly string[];
}

/** The server's query for the picture: values and gradients shown, as on the cards. */
export function pictureQuery(of: PictureOf, format: PictureFormat) {
  return {
    format,
    theme: of.theme,
    include: "values,grads",
    fold: [...of.fold],
    ...(format === "png" ? { scale: PNG_SCALE } : {}),
  };
}

/** The picture as the server sends it; rejects with an ApiError when it refuses (a picture too large, say). */
export function fetchPicture(of: PictureOf, format: PictureFormat): Promise<Blob> {
  return answerAsSent(
    rest.GET("/api/workspaces/{workspace_id}/graph", {
      params: { path: { workspace_id: of.id }, query: pictureQuery(of, format) },
      headers: bearer(of.token),
      parseAs: "blob",
    }),
  );
}

/** The clipboard calls a copy needs, where the browser has them. */
export interface ImageClipboard {
  write(items: ClipboardItem[]): Promise<void>;
  makeItem(png: Promise<Blob>): ClipboardItem;
}

/** This browser's clipboard for images, or null where it has none (an insecure page, an old browser). */
export function browserClipboard(): ImageClipboard | null {
  const clipboard = globalThis.navigator?.clipboard;
  if (typeof globalThis.ClipboardItem !== "function" || typeof clipboard?.write !== "function") return null;
  return {
    write: (items) => clipboard.write(items),
    makeItem: (png) => new ClipboardItem({ "image/png": png }),
  };
}

/**
 * Puts the PNG on the clipboard. The item is made at once around the download still under way,
 * because browsers allow a write only right after the click. Rejects with an Error whose message
 * says what to do when the browser has no image clipboard or refuses, or with the server's ApiError.
 */
export async function copyPicture(of: PictureOf, clipboard: ImageClipboard | null): Promise<void> {
  if (clipboard === null) throw new Error("This browser cannot copy images from this page: use Download PNG instead.");
  const png = fetchPicture(of, "png");
  png.catch(() => undefined); // reported below, once the write has failed with it
  try {
    await clipboard.write([clipboard.makeItem(png)]);
  } catch (refusal) {
    await png; // the server's refusal, when it was that
    const why = refusal instanceof Error ? refusal.message : String(refusal);
    throw new Error(`The browser refused to copy the picture (${why}): use Download PNG instead.`);
  }
}
