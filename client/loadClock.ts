// Imported first by extension.ts, so it runs before the rest of the bundle is evaluated: the time
// from here to the end of activate() is the extension's whole activation cost.
export const loadStartedAt = performance.now();
