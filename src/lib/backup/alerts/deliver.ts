import { type AlertChannel, AlertDeliveryError, type TAlertMessage } from './channel';

/** What became of one channel's delivery, as the audit log and `erp-backup alert test` show it. */
export type TDelivery =
  | { channel: AlertChannel['kind']; target: string; ok: true }
  | { channel: AlertChannel['kind']; target: string; ok: false; error: string };

/** Sends through every channel at once; one failing does not stop the others. Never throws. */
export async function deliver(channels: readonly AlertChannel[], message: TAlertMessage): Promise<TDelivery[]> {
  return Promise.all(
    channels.map(async (channel): Promise<TDelivery> => {
      const base = { channel: channel.kind, target: channel.describe() };
      try {
        await channel.send(message);
        return { ...base, ok: true };
      } catch (error) {
        // Channels reject with AlertDeliveryError (no secrets); anything else is not trusted to be printable.
        const text = error instanceof AlertDeliveryError ? error.message : `${channel.describe()}: delivery failed`;
        return { ...base, ok: false, error: text };
      }
    }),
  );
}
