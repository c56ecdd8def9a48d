import { describe, expect, it } from 'vitest';
import { loadEnv } from '@/lib/env';
import { alertChannelsFromEnv, alertInstance } from './alerts';

const errorOf = (source: Record<string, string>) => {
  try {
    loadEnv(source);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return null;
};

describe('the alert settings in the environment', () => {
  it('refuses a malformed URL, naming the variable and never quoting the value', () => {
    const message = errorOf({ BACKUP_ALERT_WEBHOOK_URL: 'ftp://user:hunter2@example.org/token-123' });
    expect(message).toMatch(/BACKUP_ALERT_WEBHOOK_URL: must be an http:\/\/ or https:\/\/ URL/);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('token-123');
    expect(errorOf({ SMTP_URL: 'http://mail.example.org' })).toMatch(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(errorOf({ BACKUP_HEARTBEAT_URL: 'not a url' })).toMatch(/BACKUP_HEARTBEAT_URL/);
    expect(errorOf({ BACKUP_MAX_AGE_HOURS: '-1' })).toMatch(/BACKUP_MAX_AGE_HOURS: must be a positive number of hours/);
    expect(errorOf({ HEALTH_TOKEN: 'short' })).toMatch(/HEALTH_TOKEN: must be at least 16 characters/);
  });

  it('wants the email settings all three or none', () => {
    expect(errorOf({ SMTP_URL: 'smtp://mail.example.org', BACKUP_ALERT_EMAIL_TO: 'head@school.example' })).toMatch(
      /BACKUP_ALERT_EMAIL_FROM: is required with SMTP_URL and BACKUP_ALERT_EMAIL_TO/,
    );
    expect(errorOf({ BACKUP_ALERT_EMAIL_TO: 'head@school.example, not-an-address' })).toMatch(
      /BACKUP_ALERT_EMAIL_TO: must be e-mail addresses/,
    );
  });

  it('builds one channel per configured way, named without secrets', () => {
    expect(alertChannelsFromEnv(loadEnv({}), () => undefined)).toEqual([]);
    const env = loadEnv({
      BACKUP_ALERT_WEBHOOK_URL: 'https://hooks.example.org/services/T0KEN',
      BACKUP_ALERT_WEBHOOK_SECRET: 'a-secret-of-16-chars+',
      SMTP_URL: 'smtp://alerts:p4ssw0rd@mail.example.org:587',
      BACKUP_ALERT_EMAIL_TO: 'head@school.example',
      BACKUP_ALERT_EMAIL_FROM: 'erp@school.example',
      BACKUP_ALERT_INSTANCE: 'st-marys',
    });
    const channels = alertChannelsFromEnv(env, () => undefined);
    expect(channels.map((channel) => channel.describe())).toEqual([
      'webhook to hooks.example.org',
      'email to head@school.example via mail.example.org',
    ]);
    expect(alertInstance(env)).toBe('st-marys');
  });
});
