/** Which fields of a service hold ports it listens on: a port number, or a list of them. */
type PortValue = number | readonly number[] | undefined;

/** The names of a service's fields whose values are ports (checked for clashes on the host). */
export type PortFields<S> = readonly { [K in keyof S]-?: S[K] extends PortValue ? K : never }[keyof S][];

/** One port a service listens on and the field (path under the service) that sets it. */
export interface PortUse {
  path: (string | number)[];
  port: number;
}

/** The ports in a service's port fields, each with its path ("port", or "ports", 1). */
export function portsIn<S>(service: S, fields: PortFields<S>): PortUse[] {
  return fields.flatMap((field) => {
    const value = service[field] as PortValue;
    if (typeof value === "number") return [{ path: [String(field)], port: value }];
    return (value ?? []).map((port, i) => ({ path: [String(field), i], port }));
  });
}
