import type { ManagementClient } from '@scopebound/management';

export async function emailsOfBlockedUsers(mgmt: ManagementClient): Promise<string[]> {
  const emails: string[] = [];
  // Offset paging (page/per_page/include_totals); stops at the total or a short page (ResultWindowError past 1000).
  for await (const user of mgmt.users.list.all({ q: 'blocked:true', per_page: 100 })) {
    if (user.email) emails.push(user.email);
  }
  return emails;
}

export async function sessionIds(mgmt: ManagementClient, userId: string): Promise<string[]> {
  const ids: string[] = [];
  // Checkpoint paging (from/take/next); stops when `next` is absent.
  for await (const session of mgmt.users.sessions.list.all({ user_id: userId, take: 50 })) {
    if (session.id) ids.push(session.id);
  }
  return ids;
}
