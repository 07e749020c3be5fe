/**
 * Which platform components are deployed. Each component's own settings live in its section
 * (`models`, `gateway`, ...); this is the on/off switchboard the charts read.
 */
import { z } from 'zod';

export const componentsSchema = z.strictObject({
  gateway: z.boolean(),
  ollama: z.boolean(),
  openWebUi: z.boolean(),
  redis: z.boolean(),
  qdrant: z.boolean(),
  minio: z.boolean(),
  mlflow: z.boolean(),
  prometheus: z.boolean(),
  grafana: z.boolean(),
});

export type ComponentsConfig = z.infer<typeof componentsSchema>;
