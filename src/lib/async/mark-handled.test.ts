import { describe, expect, it } from 'vitest';
import { markHandled } from './mark-handled';

describe('markHandled', () => {
  it('keeps the rejection for whoever awaits the promise later', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const failing = markHandled(Promise.reject(new Error('later')));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      await expect(failing).rejects.toThrow('later');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('returns the same promise, value included', async () => {
    const promise = Promise.resolve(7);
    expect(markHandled(promise)).toBe(promise);
    expect(await promise).toBe(7);
  });
});
