// dlx schema: the JSON Schema of a spec, for editors (yaml-language-server).
import { line, type Io } from '../io.js';

export async function schemaAction(io: Io): Promise<void> {
  const { specJsonSchema } = await import('../../config/json-schema.js');
  const { sweepSchema } = await import('../../sweep/settings.js');
  line(io.out, JSON.stringify(specJsonSchema({ sweep: sweepSchema }), null, 2));
}
