// The rule that turns a message's value into an execution name (README "Starting from a queue" documents it).
import * as fc from 'fast-check';
import { executionNameFor } from '../src/execution-name';

const VALID_NAME = /^[A-Za-z0-9_-]{1,64}$/;

test('a value that is already a valid name is the name', () => {
  for (const value of ['7c9e6679-7425-40de-944b-e07fc1f90ae7', 'A-1001', '_', 'x'.repeat(64)]) {
    expect(executionNameFor(value)).toBe(value);
  }
});

test('any other value is its sanitized prefix (39 at most), a dash and 24 hex digits of its SHA-256, as sha256sum prints them', () => {
  // printf %s 'order#1' | sha256sum, and the same for the others
  expect(executionNameFor('order#1')).toBe('order_1-e8c95cf033bd30a770b214b8');
  expect(executionNameFor('tenant/42#order 7')).toBe('tenant_42_order_7-e10808371d1624e188ff76bd');
  // one '_' per character (code point), the hash of the UTF-8 bytes
  expect(executionNameFor('café')).toBe('caf_-850f7dc43910ff890f8879c0');
  expect(executionNameFor('x'.repeat(65))).toMatch(new RegExp(`^${'x'.repeat(39)}-[0-9a-f]{24}$`));
});

test('every non-empty value gives a valid name, the same one every time, and different values different names', () => {
  fc.assert(fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 100, unit: 'binary' }), { minLength: 2, maxLength: 20 }), (values) => {
    const names = values.map(executionNameFor);
    expect(names.every((name) => VALID_NAME.test(name))).toBe(true);
    expect(values.map(executionNameFor)).toEqual(names);
    expect(new Set(names).size).toBe(values.length);
  }));
});

test('an empty value has no name', () => {
  expect(() => executionNameFor('')).toThrow(/empty value/);
});
