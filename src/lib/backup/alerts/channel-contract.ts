import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertChannel, AlertDeliveryError, type TAlertMessage } from './channel';
import { withTimeout } from './retrying-channel';

/** What a receiver (a loopback HTTP or SMTP server) got, reduced to what every channel must carry. */
export interface TReceived {
  text: string;
}

/** A channel under test, with a real receiver behind it. */
export interface TChannelSubject {
  /** A channel whose receiver accepts. */
  accepting: AlertChannel;
  /** A channel whose receiver refuses for good (an HTTP 4xx, an SMTP 550). */
  refusing: AlertChannel;
  /** A channel whose receiver answers "try later" (an HTTP 5xx, an SMTP 4xx). */
  failingForNow: AlertChannel;
  /** A channel pointed at a port nobody listens on. */
  unreachable: AlertChannel;
  /** A channel whose receiver accepts the connection and never answers. */
  hanging: AlertChannel;
  /** What the accepting receiver got, in order. */
  received(): TReceived[];
  /** Strings that must never appear in an error message (secrets, URL paths, passwords). */
  secrets: string[];
  close(): Promise<void>;
}

export const SAMPLE_MESSAGE: TAlertMessage = {
  event: 'backup.failed',
  severity: 'critical',
  message: 'The scheduled backup of 2026-11-27T02:00:00.000Z failed after 4 attempt(s): the disk is full',
  backupId: null,
  scheduleId: 'sched-1',
  at: '2026-11-27T02:31:00.000Z',
  instance: 'school-server-1',
};

async function rejection(send: Promise<void>): Promise<AlertDeliveryError> {
  const error = await send.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AlertDeliveryError);
  return error as AlertDeliveryError;
}

/**
 * The contract of `AlertChannel` (channel.ts), run by each channel's test
 * against a real receiver: deliveries arrive, refusals and outages reject with
 * an `AlertDeliveryError` that says whether to retry and names no secret, and
 * an aborted send gives up.
 */
export function runChannelContract(name: string, open: () => Promise<TChannelSubject>): void {
  describe(`${name}: the AlertChannel contract`, () => {
    let subject: TChannelSubject;
    beforeAll(async () => {
      subject = await open();
    });
    afterAll(async () => {
      await subject?.close();
    });

    const expectNoSecret = (error: AlertDeliveryError, channel: AlertChannel) => {
      expect(error.message).toContain(channel.describe());
      for (const secret of subject.secrets) expect(error.message).not.toContain(secret);
      for (const secret of subject.secrets) expect(channel.describe()).not.toContain(secret);
    };

    it('delivers the event, its severity, its message and the instance', async () => {
      const before = subject.received().length;
      await subject.accepting.send(SAMPLE_MESSAGE);
      const got = subject.received().slice(before);
      expect(got).toHaveLength(1);
      const text = got[0]?.text ?? '';
      expect(text).toContain(SAMPLE_MESSAGE.message);
      expect(text).toContain(SAMPLE_MESSAGE.instance);
      expect(text).toContain('sched-1');
    });

    it('rejects a refusal as permanent, naming the channel and no secret', async () => {
      const error = await rejection(subject.refusing.send(SAMPLE_MESSAGE));
      expect(error.transient).toBe(false);
      expectNoSecret(error, subject.refusing);
    });

    it('rejects a "try later" answer as transient', async () => {
      const error = await rejection(subject.failingForNow.send(SAMPLE_MESSAGE));
      expect(error.transient).toBe(true);
      expectNoSecret(error, subject.failingForNow);
    });

    it('rejects an unreachable receiver as transient', async () => {
      const error = await rejection(subject.unreachable.send(SAMPLE_MESSAGE));
      expect(error.transient).toBe(true);
      expectNoSecret(error, subject.unreachable);
    });

    it('gives up on a receiver that never answers when its signal aborts', async () => {
      const started = Date.now();
      const error = await rejection(withTimeout(subject.hanging, 300).send(SAMPLE_MESSAGE));
      expect(error.transient).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
      const controller = new AbortController();
      const direct = subject.hanging.send(SAMPLE_MESSAGE, controller.signal);
      setTimeout(() => controller.abort(), 100);
      const aborted = await rejection(direct);
      expect(aborted.transient).toBe(true);
      expect(Date.now() - started).toBeLessThan(8000);
    });
  });
}
