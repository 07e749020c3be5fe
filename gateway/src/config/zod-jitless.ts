/**
 * zod without generated code, for the bin. zod compiles each object schema's parser into a new
 * function (`new Function`) on its first parse, which pays off only over many parses; the bin parses
 * its config once at start and again on reloads. zod reads the setting when a schema is built, not
 * when it parses, so main.ts imports this module before anything that builds a schema.
 */
import * as z from 'zod';

z.config({ jitless: true });
