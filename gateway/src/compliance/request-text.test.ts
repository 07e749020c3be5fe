/**
 * What the classifier reads from a request: every string a person or tool wrote, wherever the
 * client put it (fail closed for fields the gateway does not know), but not schemas or image data.
 */
import { complianceSchema } from '../config/compliance-schema';
import type { ChatCompletionRequest, EmbeddingsRequest } from '../providers/openai-types';
import { Classifier } from './classifier';
import { chatText, embeddingsText } from './request-text';

const classifier = new Classifier(complianceSchema.parse({ keywords: ['diagnosis'] }));
const chat = (extra: Record<string, unknown>, messages: unknown[] = [{ role: 'user', content: 'hello' }]) =>
  ({ model: 'chat', messages, ...extra }) as unknown as ChatCompletionRequest;
const reasons = (request: ChatCompletionRequest) => classifier.classify(() => chatText(request), false).reasons;

test.each([
  ['message text parts', chat({}, [{ role: 'user', content: [{ type: 'text', text: 'SSN 123-45-6789' }] }]), ['us_ssn']],
  [
    'tool-call arguments',
    chat({}, [
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"mail":"jane@example.org"}' } }],
      },
    ]),
    ['email'],
  ],
  ['a message name', chat({}, [{ role: 'user', name: 'jane@example.org', content: 'hi' }]), ['email']],
  ['the end-user id', chat({ user: 'jane@example.org' }), ['email']],
  ['request metadata', chat({ metadata: { patient: 'MRN: 00123456' } }), ['medical_record_number']],
  ['predicted output', chat({ prediction: { type: 'content', content: 'card 4111 1111 1111 1111' } }), ['card_number']],
  ['stop sequences', chat({ stop: ['DOB 03/14/1985'] }), ['date_of_birth']],
  ['a field the gateway does not know', chat({ some_future_field: { note: 'the diagnosis was clear' } }), ['keyword']],
])('classifies %s', (_what, request, expected) => {
  expect(reasons(request)).toEqual(expected);
});

test.each([
  [
    'tool definitions (developer-written schemas)',
    chat({
      tools: [{ type: 'function', function: { name: 'lookup', description: 'Look up a diagnosis', parameters: { type: 'object' } } }],
    }),
  ],
  [
    'response_format schemas',
    chat({ response_format: { type: 'json_schema', json_schema: { name: 'x', description: 'a diagnosis', schema: { type: 'object' } } } }),
  ],
  // 13+ digits that pass Luhn, as base64 image data could hold: never read as a card number.
  [
    'image data',
    chat({}, [
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,4111 1111 1111 1111' } },
          { type: 'text', text: 'what is this?' },
        ],
      },
    ]),
  ],
])('leaves out %s', (_what, request) => {
  expect(reasons(request)).toEqual([]);
});

test('embeddings: the input and the other fields, not the model name', () => {
  const request = { model: 'jane@example.org', input: ['plain text'], user: 'SSN 123-45-6789' } as EmbeddingsRequest;
  expect(classifier.classify(() => embeddingsText(request), false).reasons).toEqual(['us_ssn']);
  expect(embeddingsText(request)).not.toContain('jane@example.org');
});
