// Durations as specs write them: one parser for the local backend's time limit and Slurm's --time.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDurationSeconds } from '../../../core/runs/duration';

test('Gantry units and Slurm forms → seconds', () => {
  const cases: [string, number][] = [
    ['24h', 86400],
    ['90m', 5400],
    ['2d12h', 216000],
    ['45s', 45],
    ['1h30m', 5400],
    ['2s', 2],
    ['1-00:00:00', 86400],
    ['2-6', 194400],
    ['2-06:30', 196200], // D-HH:MM:SS, D-HH, D-HH:MM
    ['12:00:00', 43200],
    ['30:00', 1800],
    ['01:05', 65],
    ['60', 3600], // HH:MM:SS, MM:SS, minutes
    [' 90m ', 5400],
  ];
  for (const [input, seconds] of cases) assert.equal(parseDurationSeconds(input), seconds, input);
});

test('unlimited is Infinity; zero and nonsense are not durations', () => {
  assert.equal(parseDurationSeconds('unlimited'), Infinity);
  assert.equal(parseDurationSeconds('INFINITE'), Infinity);
  for (const bad of ['', '0m', '0', 'h', '1x', '90 m', '-5m', '1.5h', '1:2:3:4']) assert.equal(parseDurationSeconds(bad), undefined, bad);
});
