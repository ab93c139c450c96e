// vLLM's multimodal serving options (issue 12): spec.multimodal read from a foreign `vllm serve`
// line (--limit-mm-per-prompt in its JSON, options and older key=value forms, --skip-mm-profiling,
// --language-model-only) with the words they come from, written by the one launch command, reported
// on engines that have no such flags, and closed in the schema.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { tokenizeShell } from '../../../core/formats/shellWords';
import { findServeCommand, readFlags, readMmLimits, readServeArgs } from '../../../core/formats/vllmArgs';
import { engineArgv, engineUnsupported } from '../../../core/runs/engineCommand';
import type { Engine, InferenceServiceSpec } from '../../../core/spec/types';
import { checkFile } from '../../../core/check/checkFile';
import { foreignFlagCompletion } from '../../../core/check/foreignComplete';
import { schemaIndex } from '../../../core/validate/schema';
import { check } from '../helpers';
import { checkText } from './servingHelpers';

const read = (line: string) => readServeArgs(findServeCommand(tokenizeShell(line).commands[0].words)!);
/** The text under a source entry or a problem. */
const under = (text: string, at: { offset: number; length: number } | { span: { offset: number; length: number } }) => {
  const s = 'span' in at ? at.span : at;
  return text.slice(s.offset, s.offset + s.length);
};
const M = 'Qwen/Qwen2.5-VL-7B-Instruct';

test('--limit-mm-per-prompt as JSON: the counts per modality, sourced at the value', () => {
  const line = `vllm serve ${M} --limit-mm-per-prompt '{"image": 2, "video": 0}' --max-model-len 8192`;
  const r = read(line);
  assert.deepEqual(r.spec.multimodal, { limitPerPrompt: { image: 2, video: 0 } });
  // The value's own characters, inside the shell quotes.
  assert.equal(under(line, r.sources.get('spec.multimodal.limitPerPrompt')!), '{"image": 2, "video": 0}');
  assert.equal(r.sources.get('spec.multimodal.limitPerPrompt')!.label, '--limit-mm-per-prompt');
  // The field as a whole is where its first flag is (a problem on spec.multimodal lands there).
  assert.equal(under(line, r.sources.get('spec.multimodal')!), '{"image": 2, "video": 0}');
  assert.equal(r.spec.extraArgs, undefined, 'read, not passed on as an unknown flag');
  assert.deepEqual(r.problems, []);
});

test('--limit-mm-per-prompt with options per modality takes their count (999 where none is given, as vLLM)', () => {
  const line = `vllm serve ${M} --limit-mm-per-prompt='{"image": {"count": 1, "width": 512, "height": 512}, "video": {"num_frames": 32}, "audio": 3}'`;
  const r = read(line);
  assert.deepEqual(r.spec.multimodal?.limitPerPrompt, { image: 1, video: 999, audio: 3 });
  // The joined form: the value's own characters, without the flag.
  assert.ok(under(line, r.sources.get('spec.multimodal.limitPerPrompt')!).startsWith('{"image"'));
  assert.deepEqual(r.problems, []);
});

test('--limit-mm-per-prompt in the older image=2,video=1 form, and written back in that form', () => {
  const line = `vllm serve ${M} --limit-mm-per-prompt image=2,video=1`;
  const r = read(line);
  assert.deepEqual(r.spec.multimodal, { limitPerPrompt: { image: 2, video: 1 } });
  const src = r.sources.get('spec.multimodal.limitPerPrompt')!;
  assert.equal(under(line, src), 'image=2,video=1');
  const edit = src.write!({ image: 4, video: 0 });
  assert.deepEqual(edit && line.slice(0, edit.offset) + edit.newText + line.slice(edit.offset + edit.length), `vllm serve ${M} --limit-mm-per-prompt image=4,video=0`);
});

test('a malformed --limit-mm-per-prompt is an error at the value, quoting a short prefix only', () => {
  const cases: [string, string, RegExp][] = [
    [`'{"image": 2,'`, `{"image": 2,`, /is not a JSON object of counts per modality/],
    [`'["image"]'`, `["image"]`, /is not a JSON object/],
    [`'{"image": "two"}'`, `{"image": "two"}`, /gives 'image' '"two"', not a count/],
    [`'{"image": -1}'`, `{"image": -1}`, /not a count \(a whole number, 0 or more\)/],
    [`'{"image": {"count": 1.5}}'`, `{"image": {"count": 1.5}}`, /not a count/],
    ['image:2', 'image:2', /is neither a JSON object .* nor modality=count pairs/],
    ['image=two', 'image=two', /nor modality=count pairs/],
  ];
  for (const [written, value, message] of cases) {
    const line = `vllm serve ${M} --limit-mm-per-prompt ${written} --port 8000`;
    const r = read(line);
    assert.equal(r.spec.multimodal, undefined, written);
    assert.equal(r.problems.length, 1, written);
    const p = r.problems[0];
    assert.equal(p.severity, 'error', written);
    assert.equal(p.code, 'foreign-flag-value');
    assert.equal(under(line, p), value, 'at the value');
    assert.match(p.message, message);
    assert.ok(p.message.startsWith(`--limit-mm-per-prompt '${value.slice(0, 20)}`), p.message);
    assert.match(p.message, /vLLM refuses it and the server does not start\.$/);
  }
  // A long value is quoted by a short prefix, not whole.
  const long = `{"image": 2, ${'"x": 1, '.repeat(300)}`;
  const p = read(`vllm serve ${M} --limit-mm-per-prompt '${long}'`).problems[0];
  assert.ok(p.message.length < 400, p.message);
  assert.ok(p.message.includes('…'));
});

test('limits of modalities Gantry does not model are a warning and left out; above 999 reads as 999', () => {
  const r = read(`vllm serve ${M} --limit-mm-per-prompt '{"image": 1, "point_cloud": 4}'`);
  assert.deepEqual(r.spec.multimodal?.limitPerPrompt, { image: 1 });
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.message]),
    [['warning', "--limit-mm-per-prompt limits 'point_cloud', which Gantry does not model (image, video, audio): the estimate leaves it out."]],
  );
  const big = read(`vllm serve ${M} --limit-mm-per-prompt '{"image": 5000}'`);
  assert.deepEqual(big.spec.multimodal?.limitPerPrompt, { image: 999 });
  assert.ok(big.assumptions.some((a) => a.includes('read as 999')));
  const empty = readMmLimits('');
  assert.ok('error' in empty && empty.sure);
  assert.deepEqual(readMmLimits(' {"video": 3} '), { limits: { video: 3 }, other: [], legacy: false, capped: false });
});

test('--skip-mm-profiling and --language-model-only are switches, at their words; the --no- forms read as false', () => {
  const line = `vllm serve ${M} --skip-mm-profiling --language_model_only --enforce-eager`;
  const r = read(line);
  assert.deepEqual(r.spec.multimodal, { skipProfiling: true, languageModelOnly: true });
  assert.equal(r.spec.enforceEager, true);
  assert.equal(under(line, r.sources.get('spec.multimodal.skipProfiling')!), '--skip-mm-profiling');
  assert.equal(under(line, r.sources.get('spec.multimodal.languageModelOnly')!), '--language_model_only');
  assert.equal(under(line, r.sources.get('spec.multimodal')!), '--skip-mm-profiling');
  assert.deepEqual(r.problems, []);
  // A repeated flag: the last one wins, as argparse stores it.
  const again = read(`vllm serve ${M} --skip-mm-profiling --no-skip-mm-profiling --limit-mm-per-prompt '{"image": 4}' --limit-mm-per-prompt '{"video": 1}'`);
  assert.deepEqual(again.spec.multimodal, { skipProfiling: false, limitPerPrompt: { video: 1 } });
});

test('a switch given a value (--skip-mm-profiling=true) is an error at the value: argparse refuses it', () => {
  const line = `vllm serve ${M} --skip-mm-profiling=true`;
  const r = read(line);
  assert.equal(r.spec.multimodal, undefined);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].severity, 'error');
  assert.equal(under(line, r.problems[0]), 'true');
  assert.match(r.problems[0].message, /is a switch and takes no value .*--no-skip-mm-profiling for false/);
});

test('a quick fix that sets a multimodal part appends its flag in the file', () => {
  const cmd = findServeCommand(tokenizeShell(`vllm serve ${M}`).commands[0].words)!;
  const appended: string[][] = [];
  const r = readServeArgs(cmd, { append: (ws) => (appended.push(ws), { offset: 0, length: 0, newText: ws.join(' ') }) });
  assert.ok(r.insert(['spec', 'multimodal', 'skipProfiling'], true));
  assert.equal(r.insert(['spec', 'multimodal', 'skipProfiling'], false), undefined);
  assert.ok(r.insert(['spec', 'multimodal', 'limitPerPrompt'], { image: 0, video: 0 }));
  assert.equal(r.insert(['spec', 'multimodal', 'limitPerPrompt'], { sound: 1 }), undefined);
  // The estimate's "serve text only" fix (core/estimate/serving.ts servingFixes).
  assert.ok(r.insert(['spec', 'multimodal', 'languageModelOnly'], true));
  assert.deepEqual(appended, [['--skip-mm-profiling'], ['--limit-mm-per-prompt', '{"image":0,"video":0}'], ['--language-model-only']]);
});

test('SGLang reads none of them: they stay unknown flags, passed on', () => {
  const r = read(`python -m sglang.launch_server --model-path ${M} --skip-mm-profiling`);
  assert.equal(r.spec.multimodal, undefined);
  assert.deepEqual(r.spec.extraArgs, ['--skip-mm-profiling']);
});

test('completion offers the three flags with the nested field they set', () => {
  const flags = readFlags('vllm').filter((f) => f.field?.startsWith('multimodal'));
  assert.deepEqual(
    flags.map((f) => [f.flag, f.field]),
    [
      ['--limit-mm-per-prompt', 'multimodal.limitPerPrompt'],
      ['--skip-mm-profiling', 'multimodal.skipProfiling'],
      ['--language-model-only', 'multimodal.languageModelOnly'],
      ['--no-skip-mm-profiling', 'multimodal.skipProfiling'],
      ['--no-language-model-only', 'multimodal.languageModelOnly'],
    ],
  );
  assert.equal(readFlags('sglang').filter((f) => f.field?.startsWith('multimodal')).length, 0);
});

test('typing --limit offers --limit-mm-per-prompt with its nested field and schema text; a written switch is left out', () => {
  const text = `vllm serve ${M} --skip-mm-profiling --limit\n`;
  const c = checkFile(text, { fileName: 'serve.sh', readFile: () => undefined });
  const items = foreignFlagCompletion(text, text.indexOf('--limit') + 7, c.foreign ?? [], schemaIndex);
  const limit = items.find((i) => i.label === '--limit-mm-per-prompt');
  assert.ok(limit, items.map((i) => i.label).join());
  assert.equal(limit.detail, 'multimodal.limitPerPrompt');
  assert.match(limit.documentation ?? '', /Items per prompt by modality/);
  assert.ok(!items.some((i) => i.label === '--skip-mm-profiling' || i.label === '--no-skip-mm-profiling'), 'written already');
  assert.ok(items.some((i) => i.label === '--language-model-only'));
});

const spec = (engine: Engine, multimodal: InferenceServiceSpec['multimodal']): InferenceServiceSpec => ({ engine, model: { preset: 'qwen2.5-vl-7b' }, multimodal });
const opts = { model: M, host: '127.0.0.1' };

test('the vLLM launch command writes the limits as one JSON word and the two switches', () => {
  const argv = engineArgv(spec('vllm', { limitPerPrompt: { image: 2, video: 0 }, skipProfiling: true, languageModelOnly: true }), opts)!;
  const at = argv.indexOf('--limit-mm-per-prompt');
  assert.ok(at > 0);
  assert.equal(argv[at + 1], '{"image":2,"video":0}');
  assert.ok(argv.includes('--skip-mm-profiling') && argv.includes('--language-model-only'));
  // vLLM's defaults cost no flag.
  const plain = engineArgv(spec('vllm', { limitPerPrompt: {}, skipProfiling: false, languageModelOnly: false }), opts)!;
  assert.ok(!plain.some((w) => w.includes('mm') || w === '--language-model-only'), plain.join(' '));
  assert.deepEqual(engineUnsupported(spec('vllm', { skipProfiling: true })), []);
});

test('SGLang and TGI have no multimodal flags: each part the spec sets is reported at that part, not dropped silently', () => {
  for (const engine of ['sglang', 'tgi'] as const) {
    const s = spec(engine, { limitPerPrompt: { image: 1 }, skipProfiling: true, languageModelOnly: false });
    const gaps = engineUnsupported(s);
    assert.deepEqual(
      gaps.map((g) => g.path.join('.')),
      ['spec.multimodal.limitPerPrompt', 'spec.multimodal.skipProfiling'],
    );
    const name = engine === 'sglang' ? 'SGLang' : 'TGI';
    assert.equal(gaps[1].message, `${name} has no launch flag for multimodal.skipProfiling (vLLM's --skip-mm-profiling): it is not passed to the engine (set it with extraArgs or env if the engine has another way).`);
    const argv = engineArgv(s, opts)!;
    assert.ok(!argv.some((w) => w.includes('mm')), argv.join(' '));
    // Only vLLM's defaults: nothing to say.
    assert.deepEqual(engineUnsupported(spec(engine, { skipProfiling: false })), []);
  }
  // As a diagnostic on the field of a Gantry spec.
  const text = `apiVersion: gantry/v1\nkind: InferenceService\nmetadata:\n  name: s\nspec:\n  engine: sglang\n  model:\n    preset: llama-3.1-8b\n  multimodal:\n    languageModelOnly: true\n`;
  const p = check(text).problems.find((x) => x.code === 'engine-no-flag');
  assert.ok(p, JSON.stringify(check(text).problems));
  assert.deepEqual(p.path, ['spec', 'multimodal', 'languageModelOnly']);
  assert.equal(text.slice(p.offset, p.offset + p.length), 'true');
});

test('round trip: spec → vLLM launch command → reader → the same spec', () => {
  const cases: InferenceServiceSpec['multimodal'][] = [{ limitPerPrompt: { image: 2, video: 0 }, skipProfiling: true, languageModelOnly: true }, { limitPerPrompt: { audio: 0 } }, { skipProfiling: true }, { languageModelOnly: true }];
  const sh = (w: string) => `'${w.split("'").join(`'\\''`)}'`;
  for (const mm of cases) {
    const argv = engineArgv(spec('vllm', mm), opts)!;
    const back = read(argv.map(sh).join(' '));
    assert.deepEqual(back.spec.multimodal, mm, argv.join(' '));
    assert.deepEqual(back.problems, []);
  }
});

test('the schema: counts 0..999 per known modality, booleans; an unknown modality key is an error', () => {
  const doc = (mm: string) => `apiVersion: gantry/v1\nkind: InferenceService\nmetadata:\n  name: s\nspec:\n  engine: vllm\n  model:\n    preset: llama-3.1-8b\n  multimodal:\n${mm}`;
  const schemaProblems = (mm: string) => check(doc(mm)).problems.filter((p) => p.code.startsWith('schema'));
  assert.deepEqual(schemaProblems('    limitPerPrompt: { image: 2, video: 0, audio: 1 }\n    skipProfiling: true\n    languageModelOnly: false\n'), []);
  const unknown = schemaProblems('    limitPerPrompt: { image: 2, pointCloud: 1 }\n');
  assert.equal(unknown.length, 1, JSON.stringify(unknown));
  assert.equal(unknown[0].severity, 'error');
  assert.match(unknown[0].message, /pointCloud/);
  assert.equal(schemaProblems('    limitPerPrompt: { image: 1000 }\n').length, 1);
  assert.equal(schemaProblems('    limitPerPrompt: { image: -1 }\n').length, 1);
  assert.equal(schemaProblems('    skipProfiling: yes please\n').length, 1);
  assert.equal(schemaProblems('    encoderOnly: true\n').length, 1);
});

test('a Kubernetes args list: a malformed limit is an error at its list item; a good one is read', () => {
  const manifest = (limit: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vl
spec:
  template:
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.19.0
          args:
            - --model
            - ${M}
            - --limit-mm-per-prompt
            - ${limit}
            - --skip-mm-profiling
          resources:
            limits:
              nvidia.com/gpu: 1
      nodeSelector:
        nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3
`;
  const bad = manifest(`'{"image": 2'`);
  const c = checkText(bad, '/w/vl.yaml');
  const p = c.problems.find((x) => x.code === 'foreign-flag-value');
  assert.ok(p, JSON.stringify(c.problems));
  assert.equal(p.severity, 'error');
  assert.equal(bad.slice(p.offset, p.offset + p.length), '{"image": 2');
  const good = checkText(manifest(`'{"image": 2, "video": 0}'`), '/w/vl.yaml');
  assert.ok(!good.problems.some((x) => x.code === 'foreign-flag-value' || x.code.startsWith('schema')), JSON.stringify(good.problems));
});

test('--limit-mm-per-prompt options that size the dummy item (width, height, num_frames) are said not to be modelled', () => {
  const r = read(`vllm serve ${M} --limit-mm-per-prompt '{"image": {"count": 1, "width": 512, "height": 512}}'`);
  assert.deepEqual(r.spec.multimodal, { limitPerPrompt: { image: 1 } });
  assert.ok(
    r.assumptions.some((a) => a.includes('the dummy-size options of image (width, height, num_frames) are not modelled')),
    JSON.stringify(r.assumptions),
  );
});
