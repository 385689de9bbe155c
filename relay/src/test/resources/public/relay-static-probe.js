// Served by the relay in HttpIT to check static files and their content type.
export const probe = 1;
