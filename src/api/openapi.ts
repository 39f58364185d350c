import { z } from 'zod';
import type { RouteSpec } from './route-spec.js';

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' });

/** OpenAPI 3 document generated from the same route specs the router mounts. */
export function buildOpenApi(routes: readonly RouteSpec[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const params = route.params
      ? Object.entries(route.params.shape).map(([name, schema]) => ({
          name, in: 'path', required: true, schema: jsonSchema(schema as z.ZodType),
        }))
      : [];
    const query = route.query
      ? Object.entries(route.query.shape).map(([name, schema]) => {
          const s = schema as z.ZodType;
          return {
            name, in: 'query', required: !s.safeParse(undefined).success, schema: jsonSchema(s),
            ...(s.description ? { description: s.description } : {}),
          };
        })
      : [];
    const headers = route.idempotent
      ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 8, maxLength: 128 } }]
      : [];
    const operation: Record<string, unknown> = {
      summary: route.summary,
      parameters: [...params, ...query, ...headers],
      'x-roles': route.roles,
      security: route.roles === 'public' ? [] : [{ apiKey: [] }],
      responses: Object.fromEntries(Object.entries(route.responses).map(([status, r]) => [status, {
        description: r.description,
        ...(r.schema ? { content: { 'application/json': { schema: jsonSchema(r.schema) } } } : {}),
      }])),
    };
    if (route.body) operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } };
    if (route.multipart) {
      const properties: Record<string, unknown> = {};
      for (const f of route.multipart.files) {
        const file = { type: 'string', format: 'binary', ...(f.maxBytes ? { maxLength: f.maxBytes } : {}) };
        properties[f.name] = (f.maxCount ?? 1) > 1
          ? { type: 'array', items: file, maxItems: f.maxCount, description: f.description }
          : { ...file, description: f.description };
      }
      if (route.multipart.fields) Object.assign(properties, (jsonSchema(route.multipart.fields) as { properties?: object }).properties);
      operation.requestBody = {
        required: true,
        content: { 'multipart/form-data': { schema: {
          type: 'object', properties, required: route.multipart.files.filter((f) => f.required).map((f) => f.name),
        } } },
      };
    }
    paths[path] = { ...(paths[path] ?? {}), [route.method]: operation };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Zinda proof-of-life API', version, description: 'Face verification for pension offices. 1:1 comparison against the subject\'s own references only.' },
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key znd_<id>_<secret>, or a phone\'s device credential znd_dev_<id>_<secret> (one subject only; docs/SECURITY.md)' } } },
    paths,
  };
}
