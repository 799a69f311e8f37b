import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { BalanceOpsError } from '../errors.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.test(address);
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopbackAddress(host);
}

/**
 * Guard for endpoints that change the registry: with a token configured, `Authorization: Bearer <token>`
 * is required (compared in constant time); without one, only clients on this machine are let in.
 */
export function mutationGuard(token: string | undefined): (request: FastifyRequest) => Promise<void> {
  const expected = token === undefined ? null : Buffer.from(token, 'utf8');
  return async (request) => {
    if (expected === null) {
      if (!isLoopbackAddress(request.socket.remoteAddress)) {
        throw new BalanceOpsError(
          'FORBIDDEN',
          'Registry changes are accepted only from this machine when no API token is set.',
          {
            hint: 'Set BALANCEOPS_API_TOKEN on the server and send Authorization: Bearer <token>.',
          },
        );
      }
      return;
    }
    const header = request.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '', 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new BalanceOpsError('UNAUTHORIZED', 'Missing or invalid bearer token.', {
        hint: 'Send Authorization: Bearer <BALANCEOPS_API_TOKEN>.',
      });
    }
  };
}
