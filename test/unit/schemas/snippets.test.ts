// Every snippet expands to a valid spec: with each placeholder at its default, and with each option
// of each choice in turn (so every offered enum value is one the schema accepts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readJson, expandSnippet, snippetChoices, validateYaml } from './helpers';

const snippets = readJson('snippets/gantry.code-snippets') as Record<string, { prefix: string; body: string[]; description: string }>;

function check(name: string, text: string, kind: string): void {
  const [doc, ...rest] = validateYaml(text);
  assert.equal(rest.length, 0, `${name}: one document`);
  assert.deepEqual(doc.yamlErrors, [], `${name}: YAML\n${text}`);
  assert.ok(doc.valid, `${name}: ${JSON.stringify(doc.errors)}\n${text}`);
  assert.equal((doc.value as { kind: string }).kind, kind, name);
}

const KIND_BY_PREFIX: Record<string, string> = {
  'gantry-cluster': 'Cluster',
  'gantry-training': 'TrainingJob',
  'gantry-lora': 'TrainingJob',
  'gantry-inference': 'InferenceService',
};

test('the four snippet prefixes exist, each with a description', () => {
  assert.deepEqual(
    Object.values(snippets)
      .map((s) => s.prefix)
      .sort(),
    Object.keys(KIND_BY_PREFIX).sort(),
  );
  for (const s of Object.values(snippets)) assert.ok(s.description.length > 20, s.prefix);
});

test('bodies indent with spaces and end on the final tab stop', () => {
  for (const s of Object.values(snippets)) {
    assert.ok(
      s.body.every((l) => !l.includes('\t')),
      s.prefix,
    );
    assert.equal(s.body.at(-1), '$0', s.prefix);
  }
});

test('every snippet expanded at its defaults is a valid spec', () => {
  for (const s of Object.values(snippets)) check(s.prefix, expandSnippet(s.body.join('\n')), KIND_BY_PREFIX[s.prefix]);
});

test('every option of every choice gives a valid spec', () => {
  for (const s of Object.values(snippets)) {
    const body = s.body.join('\n');
    const choices = snippetChoices(body);
    assert.ok(choices.length > 0, `${s.prefix} offers enum choices`);
    for (const [stop, options] of choices) {
      for (const option of options) {
        const text = expandSnippet(body, (n, o) => (n === stop ? option : o[0]));
        check(`${s.prefix} $${stop}=${option}`, text, KIND_BY_PREFIX[s.prefix]);
      }
    }
  }
});

test('the LoRA snippet is a LoRA fine-tune', () => {
  const lora = Object.values(snippets).find((s) => s.prefix === 'gantry-lora')!;
  const [doc] = validateYaml(expandSnippet(lora.body.join('\n')));
  assert.equal((doc.value as { spec: { finetune: { method: string } } }).spec.finetune.method, 'lora');
});

test('the snippet expander follows the TextMate syntax', () => {
  assert.equal(expandSnippet('a: ${1:x ${2:y}} $3 ${4} b\\$c'), 'a: x y   b$c');
  assert.equal(
    expandSnippet('${1|p,q\\,r|}', (_n, o) => o[1]),
    'q,r',
  );
  assert.throws(() => expandSnippet('${1:unclosed'));
});
