import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDeliveryError } from './channel';
import { runChannelContract, SAMPLE_MESSAGE } from './channel-contract';
import { httpHeartbeat, sendHeartbeat } from './heartbeat';
import { withRetries } from './retrying-channel';
import { closedPort, startWebhookReceiver } from './testing/webhook-receiver';
import { WebhookChannel } from './webhook-channel';

const SECRET = 'webhook-signing-secret-0123456789';
// Webhook URLs often carry their token in the path or the query (Slack, Teams): neither may reach a message.
const TOKEN_PATH = 'T0KEN-IN-THE-PATH';
const TOKEN_QUERY = 'token-in-the-query';

runChannelContract('webhook', async () => {
  const receiver = await startWebhookReceiver();
  const at = (path: string) => new WebhookChannel({ url: `${receiver.url}${path}/${TOKEN_PATH}?key=${TOKEN_QUERY}`, secret: SECRET });
  return {
    accepting: at('/ok'),
    refusing: new WebhookChannel({ url: `${receiver.url}/refuse`, secret: SECRET }),
    failingForNow: new WebhookChannel({ url: `${receiver.url}/busy`, secret: SECRET }),
    unreachable: new WebhookChannel({ url: `http://127.0.0.1:${await closedPort()}/${TOKEN_PATH}?key=${TOKEN_QUERY}`, secret: SECRET }),
    hanging: new WebhookChannel({ url: `${receiver.url}/hang` }),
    received: () => receiver.requests.filter((request) => request.path.startsWith('/ok')).map((request) => ({ text: request.body })),
    secrets: [SECRET, TOKEN_PATH, TOKEN_QUERY, 'secret-in-answer-body'],
    close: receiver.close,
  };
});

describe('the webhook channel against a loopback server', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });
  const requestsTo = (path: string) => receiver.requests.filter((request) => request.path === path);

  it('posts the documented JSON, signed with HMAC-SHA256 of the raw body', async () => {
    await new WebhookChannel({ url: `${receiver.url}/ok/signed`, secret: SECRET }).send(SAMPLE_MESSAGE);
    const [request] = requestsTo('/ok/signed');
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      event: 'backup.failed',
      severity: 'critical',
      backupId: null,
      scheduleId: 'sched-1',
      message: SAMPLE_MESSAGE.message,
      at: SAMPLE_MESSAGE.at,
      instance: 'school-server-1',
    });
    // The receiver's check, as GitHub documents it for its own webhooks.
    const expected = `sha256=${createHmac('sha256', SECRET)
      .update(request?.body ?? '')
      .digest('hex')}`;
    expect(request?.headers['x-erp-signature']).toBe(expected);
    expect(request?.headers['x-erp-signature']).not.toBe(
      `sha256=${createHmac('sha256', 'another-secret')
        .update(request?.body ?? '')
        .digest('hex')}`,
    );
  });

  it('sends no signature without a secret', async () => {
    await new WebhookChannel({ url: `${receiver.url}/ok/unsigned` }).send(SAMPLE_MESSAGE);
    expect(requestsTo('/ok/unsigned')[0]?.headers['x-erp-signature']).toBeUndefined();
  });

  it('retries a 500 with backoff until the receiver takes it', async () => {
    const waits: number[] = [];
    const channel = withRetries(new WebhookChannel({ url: `${receiver.url}/flaky/2` }), {
      baseDelayMs: 10,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await channel.send(SAMPLE_MESSAGE);
    expect(requestsTo('/flaky/2')).toHaveLength(3);
    expect(waits).toEqual([10, 20]);
  });

  it('gives up after its tries, and does not retry a refusal', async () => {
    const sleep = async () => undefined;
    const failing = withRetries(new WebhookChannel({ url: `${receiver.url}/flaky/9` }), { sleep });
    await expect(failing.send(SAMPLE_MESSAGE)).rejects.toThrow(/HTTP 500/);
    expect(requestsTo('/flaky/9')).toHaveLength(3);
    const refused = withRetries(new WebhookChannel({ url: `${receiver.url}/refuse` }), { sleep });
    const before = requestsTo('/refuse').length;
    await expect(refused.send(SAMPLE_MESSAGE)).rejects.toBeInstanceOf(AlertDeliveryError);
    expect(requestsTo('/refuse')).toHaveLength(before + 1);
  });
});

describe('the heartbeat', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('GETs the heartbeat URL', async () => {
    await sendHeartbeat({ heartbeat: httpHeartbeat(`${receiver.url}/ok/ping/${TOKEN_PATH}`) });
    const pings = receiver.requests.filter((request) => request.path === `/ok/ping/${TOKEN_PATH}`);
    expect(pings.map((ping) => ping.method)).toEqual(['GET']);
  });

  it('logs a monitor that fails, without its URL, and never throws', async () => {
    const logged: string[] = [];
    const heartbeat = httpHeartbeat(`${receiver.url}/busy/${TOKEN_PATH}`, { sleep: async () => undefined });
    await expect(sendHeartbeat({ heartbeat, log: (line) => logged.push(line) })).resolves.toBeUndefined();
    expect(receiver.requests.filter((request) => request.path === `/busy/${TOKEN_PATH}`)).toHaveLength(3);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/heartbeat.*failed after 3 tries \(HTTP 503\)/);
    expect(logged[0]).not.toContain(TOKEN_PATH);
  });
});
