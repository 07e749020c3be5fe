import { readYaml } from './read-yaml';

const problem = (text: string): string => {
  try {
    readYaml(text, 'gw.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a problem');
};

test.each([
  ['a duplicate key', 'a: 1\na: 2\n', 'line 2: got invalid YAML; expected duplicated mapping key at line 2, column 1'],
  [
    'an unclosed flow sequence',
    'providers: [\n  - a\n',
    'line 2: got invalid YAML; expected missed comma between flow collection entries at line 2, column 3',
  ],
  [
    'a tag outside the core schema',
    'a: !!binary aGk=\n',
    'line 1: got invalid YAML; expected unknown scalar tag !<tag:yaml.org,2002:binary> at line 1, column 4',
  ],
  ['a second document', 'a: 1\n---\nb: 2\n', '(root): got 2 YAML documents; expected one document'],
])('fails on %s, naming the file and the line', (_what, text, message) => {
  expect(problem(text)).toBe(`gw.yaml: 1 problem\n  ${message}`);
});

test('reads YAML 1.2 core values: yes and dates stay strings, ~ is null, 0o17 is octal', () => {
  expect(readYaml('on: yes\nday: 2001-12-14\nnone: ~\nmode: 0o17\nratio: 1e3\nlist: [a, "b"]\n', 'gw.yaml')).toEqual({
    on: 'yes',
    day: '2001-12-14',
    none: null,
    mode: 15,
    ratio: 1000,
    list: ['a', 'b'],
  });
});

test('an empty file, or one of comments only, reads as null', () => {
  expect(readYaml('', 'gw.yaml')).toBeNull();
  expect(readYaml('# keys are issued later\n', 'gw.yaml')).toBeNull();
});

test('anchors and aliases resolve to their values', () => {
  expect(readYaml('base: &b {rpm: 60}\nteam: *b\n', 'gw.yaml')).toEqual({ base: { rpm: 60 }, team: { rpm: 60 } });
});

test('a __proto__ key is an own key of the value, never its prototype', () => {
  const value = readYaml('__proto__: {auth: {allowAnonymous: true}}\nb: 2\n', 'gw.yaml') as Record<string, unknown>;
  expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  expect(Object.keys(value)).toEqual(['__proto__', 'b']);
  expect((value as { auth?: unknown }).auth).toBeUndefined();
});
