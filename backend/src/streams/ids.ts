const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Stream ids are UUIDs; the OME stream name is the stream id. */
export const isUuid = (s: string): boolean => UUID.test(s);
