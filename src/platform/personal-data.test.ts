import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mentionsPerson, withoutPerson, type Person } from './personal-data.js';

const max: Person = { id: 1, name: 'Max Müller', email: 'max@ort.example', jobFunction: '', expertise: [], role: 'member', organisationId: 1, language: 'de' };

describe('finding a person in free text', () => {
  it('removes the name and address as whole words, also inside JSON, in any case', () => {
    assert.equal(withoutPerson('Antwort von Max Müller (MAX@ORT.EXAMPLE)', max, 'X'), 'Antwort von X (X)');
    assert.equal(withoutPerson(JSON.stringify({ name: 'Max Müller' }), max, 'X'), '{"name":"X"}');
  });

  it('leaves longer names and addresses that only contain them alone', () => {
    assert.equal(mentionsPerson('Max Müllerschön schreibt an xmax@ort.example.org', max), false);
  });
});
