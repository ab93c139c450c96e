// The reverse association: a training config (torchtitan TOML, axolotl/accelerate YAML, DeepSpeed
// JSON) learns its world size from the script that launches it — a `torchrun --nproc_per_node 8 …
// --job.config_file train.toml` line in a .sh/.sbatch beside it. launcher.ts goes the other way
// (script → config). The caller lists the folder (the CLI synchronously, the server in the
// background) and reads each script with its bounded reader (stat first, regular files, 1 MB); this
// module only picks and parses. The script that gave the world size is named in the hover.
import { launchedConfigs, SCRIPT_EXT } from './launcher';
import { configTool } from './trainingConfig';
import { type ForeignDefaults, MAX_FOREIGN_CHARS, type TrainerDefaults } from './types';

/** Scripts read per folder at most: a folder of thousands of job scripts costs a bounded look. */
export const MAX_SIBLING_SCRIPTS = 32;

export interface LaunchLink {
  /** The script's name in the config's folder. */
  script: string;
  line: number;
  tool: string;
  gpusPerNode?: number;
  nodes?: number;
  gpu?: string;
  /** The training script's --model_name_or_path on that line. */
  model?: string;
  /** gpusPerNode is written on the line itself (not taken from the sbatch header). */
  worldOnLine?: boolean;
  /** The training script's Trainer / TRL arguments on that line (`from` names the script and line). */
  trainer?: TrainerDefaults;
  /** accelerate's --num_processes that does not divide over --num_machines (gpusPerNode: what accelerate runs per machine). */
  uneven?: { total: number; machines: number };
}

/** The names in a folder listing worth reading for launcher lines: script extensions, in name order, at most MAX_SIBLING_SCRIPTS. */
export function siblingScripts(names: readonly string[]): string[] {
  return names
    .filter((n) => SCRIPT_EXT.some((e) => n.toLowerCase().endsWith(e)))
    .sort()
    .slice(0, MAX_SIBLING_SCRIPTS);
}

/**
 * The first script (in name order) with a launcher line that passes this config and says how many
 * GPUs: `configName` is the config's base name, `scripts` names in its folder, `read` reads one
 * (undefined: not readable, or not yet).
 */
export function launchLinkFor(configName: string, scripts: readonly string[], read: (rel: string) => string | undefined): LaunchLink | undefined {
  for (const script of scripts) {
    const text = read(script);
    // A script past the foreign-file limit is not tokenized (some seconds for a 1 MB script in the server).
    if (text === undefined || text.length > MAX_FOREIGN_CHARS) continue;
    for (const l of launchedConfigs(text)) {
      if (normalize(l.config) !== configName || !(l.gpusPerNode || l.nodes || l.model || l.trainer)) continue;
      const trainer = l.trainer ? { ...l.trainer, from: `${quoteName(script)} line ${l.line}` } : undefined;
      return {
        script,
        line: l.line,
        tool: l.tool,
        ...(l.gpusPerNode ? { gpusPerNode: l.gpusPerNode } : {}),
        ...(l.nodes ? { nodes: l.nodes } : {}),
        ...(l.gpu ? { gpu: l.gpu } : {}),
        ...(l.model ? { model: l.model } : {}),
        ...(l.worldOnLine ? { worldOnLine: true } : {}),
        ...(trainer ? { trainer } : {}),
        ...(l.uneven ? { uneven: l.uneven } : {}),
      };
    }
  }
  return undefined;
}

/**
 * The defaults with the launching script's world size (and its sbatch GPU where nothing else names
 * one). The script is more specific than a context file or a setting: it launches this very file.
 */
export function withLaunchLink(defaults: ForeignDefaults, link: LaunchLink | undefined): ForeignDefaults {
  if (!link) return defaults;
  const uneven = link.uneven && link.gpusPerNode ? ` (--num_processes ${link.uneven.total} over ${link.uneven.machines} machines: ${link.gpusPerNode} each, as accelerate rounds down)` : '';
  const what = [[link.nodes ? `${link.nodes} node${link.nodes === 1 ? '' : 's'}` : '', link.gpusPerNode ? `${link.gpusPerNode} GPUs per node${uneven}` : ''].filter(Boolean).join(' × '), link.model ? `model ${link.model.length > 60 ? `${link.model.slice(0, 60)}…` : link.model}` : ''].filter(Boolean).join(', ');
  const world = link.gpusPerNode || link.nodes || link.model;
  return {
    ...defaults,
    ...(link.gpusPerNode ? { gpusPerNode: link.gpusPerNode } : {}),
    ...(link.nodes ? { nodes: link.nodes } : {}),
    ...(link.gpu && !defaults.gpu && !defaults.cluster ? { gpu: link.gpu } : {}),
    ...(link.model ? { model: link.model } : {}),
    ...(link.worldOnLine ? { launchWorld: true } : {}),
    ...(link.trainer ? { trainer: link.trainer } : {}),
    ...(world ? { worldFrom: `${quoteName(link.script)} line ${link.line} (${link.tool}: ${what})` } : {}),
  };
}

function normalize(p: string): string {
  let s = p;
  while (s.startsWith('./')) s = s.slice(2);
  return s;
}

function quoteName(s: string): string {
  return `'${s.length > 60 ? `${s.slice(0, 60)}…` : s}'`;
}

/**
 * The defaults of a foreign file with the world size of the script beside it that launches it —
 * for a training config only (configTool); other files get `defaults` unchanged, with no listing.
 * `listFolder` gives the names in the file's folder (undefined: not known yet, or no folder).
 */
export function launcherDefaults(fileName: string, text: string, defaults: ForeignDefaults, listFolder: () => readonly string[] | undefined, read: ((rel: string) => string | undefined) | undefined): ForeignDefaults {
  if (!read || !configTool(fileName, text)) return defaults;
  const names = listFolder();
  if (!names?.length) return defaults;
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  return withLaunchLink(defaults, launchLinkFor(base, siblingScripts(names), read));
}
