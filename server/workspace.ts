// Reads the files a spec refers to. The Workspace itself moved to core/workspace/workspace.ts.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

// The Workspace (cluster scanning) lives in core, where the CLI and the run path use it too.
export { Workspace, uriToPath, pathToUri } from '../core/workspace/workspace';

/**
 * Reads the files a spec refers to (`model.config: ./config.json`), relative to the spec's folder;
 * undefined when there is no such file (or no spec path, for an untitled buffer). At most
 * `maxChars` characters of each.
 */
export function readerBeside(specFile: string | undefined, maxChars = Infinity): (rel: string) => string | undefined {
  return (rel) => {
    if (!specFile) return undefined;
    try {
      return readFileSync(path.resolve(path.dirname(specFile), rel), 'utf8').slice(0, maxChars);
    } catch {
      return undefined;
    }
  };
}
