/** The answers of `add-service`: the kind, the host, the name, and the kind's own fields (kinds/<kind>.ts). */
export interface ServiceAnswers {
  kind: string;
  host: string;
  name: string;
  /** the kind's fields, already parsed; unset ones take the schema's defaults */
  fields: Record<string, unknown>;
}
