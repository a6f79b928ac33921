import type { Config } from '../config.js';
import { createLuccaClient } from '../lucca/client.js';
import { LuccaError } from '../lucca/errors.js';
import type { LuccaApi } from '../lucca/types.js';
import type { CheckResult } from './types.js';

export interface LuccaCheckOptions {
  unusable?: ReadonlySet<string>;
  /** The app's own client (shares its rate limiter); by default a client that tries each request once. */
  lucca?: LuccaApi;
}

const CONFIGURATION_ID_HINT =
  'the id is the second number in the export-configuration URL in Lucca (…/export/1/3/latest → 3)';

/**
 * For each configured alias, the request a run starts with (the baseline: the newest export of the
 * configuration). One answer tells whether the host is reachable, the key accepted, the key's role
 * allowed to see exports, and the configuration real.
 */
export async function checkLucca(config: Config, options: LuccaCheckOptions = {}): Promise<CheckResult[]> {
  const unusable = options.unusable ?? new Set<string>();
  const blocking = ['LUCCA_BASE_URL', 'LUCCA_API_KEY', 'EXPORT_CONFIGURATIONS'].filter((v) =>
    unusable.has(v),
  );
  if (blocking.length) {
    return [
      {
        status: 'warn',
        label: 'Lucca was not contacted',
        detail: `It needs ${blocking.join(' and ')}, which ${blocking.length === 1 ? 'is' : 'are'} missing or not valid (see Environment).`,
      },
    ];
  }
  const aliases = Object.entries(config.exports.configurations);
  if (aliases.length === 0) {
    return [
      {
        status: 'warn',
        label: 'Lucca was not contacted: no configuration to ask about',
        detail: 'The key and the host are checked with a request about a configuration.',
        fix: `Set EXPORT_CONFIGURATIONS, for example EXPORT_CONFIGURATIONS=payroll=3: ${CONFIGURATION_ID_HINT}`,
      },
    ];
  }
  const lucca = options.lucca ?? doctorLuccaClient(config);

  const results: CheckResult[] = [];
  for (const [alias, configurationId] of aliases) {
    const name = `${alias} (#${configurationId})`;
    try {
      const latest = await lucca.latestExportId(configurationId);
      results.push({
        status: 'ok',
        label: `${name}: Lucca answered, accepted the key and knows the configuration`,
        detail: latest ? `newest export #${latest}` : 'no export of it yet',
      });
    } catch (error) {
      const result = failureOf(error, name, config.lucca.baseUrl);
      results.push(result.check);
      // A refused key or an unreachable host gives every alias the same answer: say it once.
      if (result.sameForAll) break;
    }
  }
  return results;
}

/** The command-line doctor's own client: each request tried once (a doctor reports, it does not insist). */
export function doctorLuccaClient(config: Config): LuccaApi {
  return createLuccaClient({
    baseUrl: config.lucca.baseUrl,
    apiKey: config.lucca.apiKey,
    maxRequestsPerMinute: config.lucca.maxRequestsPerMinute,
    retry: { attempts: 1 },
  });
}

function failureOf(
  error: unknown,
  name: string,
  baseUrl: string,
): { check: CheckResult; sameForAll: boolean } {
  if (!(error instanceof LuccaError)) {
    return {
      sameForAll: true,
      check: {
        status: 'fail',
        label: `${name}: the request to Lucca failed unexpectedly`,
        fix: 'Run the doctor again; if it persists, check LUCCA_BASE_URL',
      },
    };
  }
  const http = error.httpStatus ? ` (HTTP ${error.httpStatus})` : '';
  switch (error.code) {
    case 'unauthorized':
      return {
        sameForAll: true,
        check: {
          status: 'fail',
          label: `Lucca refused LUCCA_API_KEY${http}`,
          fix: `Set LUCCA_API_KEY to a valid key for ${baseUrl} (a key works on its own Lucca site only); ask your Lucca admin for one`,
        },
      };
    case 'forbidden':
      return {
        sameForAll: true,
        check: {
          status: 'fail',
          label: `Lucca accepted the key, but its role may not use Timesheet exports${http}`,
          fix: "Ask your Lucca admin to give the API key's role the right to create Timesheet exports",
        },
      };
    case 'not-found':
      return {
        sameForAll: false,
        check: {
          status: 'fail',
          label: `${name}: Lucca has no such export configuration${http}`,
          fix: `Fix the id in EXPORT_CONFIGURATIONS: ${CONFIGURATION_ID_HINT}. If every alias gets this, LUCCA_BASE_URL may not be your Lucca site`,
        },
      };
    case 'rate-limited':
      return {
        sameForAll: true,
        check: {
          status: 'warn',
          label: `Lucca is refusing requests for now: the tenant's API limit is used up${http}`,
          fix: 'Run the doctor again in a minute; if it keeps happening, another integration uses most of the limit',
        },
      };
    case 'unavailable':
      return {
        sameForAll: true,
        check: {
          status: 'fail',
          label: `Lucca could not be reached at ${baseUrl}`,
          ...(error.httpStatus ? { detail: `HTTP ${error.httpStatus}` } : {}),
          fix: 'Check LUCCA_BASE_URL (the address of your Lucca site, as in your browser) and that this host can reach it (proxy, firewall)',
        },
      };
    default:
      return {
        sameForAll: true,
        check: {
          status: 'fail',
          label: `${baseUrl} answered, but not the way Lucca's API does${http}`,
          fix: 'Check LUCCA_BASE_URL: it is the address of your Lucca site, e.g. https://example.ilucca.net',
        },
      };
  }
}
