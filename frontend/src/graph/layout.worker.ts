/**
 * The layout worker: ELK's own worker script, which answers elk-api's messages off the main thread.
 * Loaded only through layout.ts.
 */
import "elkjs/lib/elk-worker.min.js";
