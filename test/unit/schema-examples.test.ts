import path from 'node:path';
import { SchemaRegistry } from '../../src/platform/schemas';

const schemas = SchemaRegistry.load(path.join(__dirname, '..', '..', 'schemas'));

// Scenario: the examples a schema publishes (in the OpenAPI document, for generated clients and Swagger UI's
// "try it out") are values the same schema accepts.
describe('examples in schemas/', () => {
  const withExamples = schemas.names().flatMap((name) => {
    const examples = schemas.document(name)?.examples;
    return Array.isArray(examples) ? examples.map((example, i) => [`${name} #${i}`, name, example] as const) : [];
  });

  it('has examples for the API request bodies', () => {
    expect(withExamples.map(([label]) => label)).toEqual(expect.arrayContaining(['api/sources/create-request.json #0', 'api/subscriptions/update-request.json #0', 'api/replays/create-request.json #0']));
  });

  it.each(withExamples)('%s validates against its own schema', (_label, name, example) => {
    expect(schemas.validate(name, example)).toEqual([]);
  });
});
