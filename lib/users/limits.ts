/** Password length rules, shared by the forms (client) and the schemas (server). */
export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 200;
