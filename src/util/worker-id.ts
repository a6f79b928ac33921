import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Names a process's leases on runs, its turn at the outbox and its schedule claims: unique per call
 * (two processes on one host, or one restarted with the same pid, never share a name), and readable
 * in the database and the logs (which host, which process). `role` marks who holds it, e.g. `cli`.
 */
export function workerId(role?: string): string {
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  return role ? `${role}:${id}` : id;
}
