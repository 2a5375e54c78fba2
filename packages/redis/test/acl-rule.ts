/** The least-privilege ACL the README recommends (README shows it with `>long-random-password`). */
export function aclRule(password: string): string[] {
  return [
    'scopebound', 'on', `>${password}`, 'resetkeys', '~myapp:auth0:*', 'resetchannels', '&myapp:auth0:notify',
    '-@all', '+get', '+set', '+del', '+eval', '+publish', '+subscribe', '+ping', '+info',
  ];
}
