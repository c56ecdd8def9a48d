import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChannelContract, SAMPLE_MESSAGE } from './channel-contract';
import { EmailChannel } from './email-channel';
import { startSilentServer, startSmtpReceiver, type TReceivedMail } from './testing/smtp-receiver';
import { closedPort } from './testing/webhook-receiver';

const LOGIN = { user: 'alerts', pass: 'smtp-pass-W0rd-secret' };
const FROM = 'erp@school.example';

runChannelContract('email', async () => {
  const smtp = await startSmtpReceiver(LOGIN);
  const silent = await startSilentServer();
  const url = (port: number) => `smtp://${LOGIN.user}:${LOGIN.pass}@127.0.0.1:${port}`;
  const channel = (port: number, to: string) => new EmailChannel({ smtpUrl: url(port), to, from: FROM });
  return {
    accepting: channel(smtp.port, 'head@school.example'),
    refusing: channel(smtp.port, 'refuse@school.example'),
    failingForNow: channel(smtp.port, 'later@school.example'),
    unreachable: channel(await closedPort(), 'head@school.example'),
    hanging: channel(silent.port, 'head@school.example'),
    received: () => smtp.mails.map((mail) => ({ text: mail.text })),
    secrets: [LOGIN.pass],
    close: async () => {
      await Promise.all([smtp.close(), silent.close()]);
    },
  };
});

describe('the email an administrator receives', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let mail: TReceivedMail | undefined;
  beforeAll(async () => {
    smtp = await startSmtpReceiver(LOGIN);
    const channel = new EmailChannel({
      smtpUrl: `smtp://${LOGIN.user}:${LOGIN.pass}@127.0.0.1:${smtp.port}`,
      to: 'head@school.example, it@school.example',
      from: FROM,
    });
    await channel.send(SAMPLE_MESSAGE);
    mail = smtp.mails[0];
  });
  afterAll(async () => {
    await smtp.close();
  });

  it('goes from BACKUP_ALERT_EMAIL_FROM to every address of BACKUP_ALERT_EMAIL_TO', () => {
    expect(mail?.from).toBe(FROM);
    expect(mail?.to).toEqual(['head@school.example', 'it@school.example']);
  });

  it('has a plain subject and says what happened and what to do', () => {
    expect(mail?.text).toContain('Subject: [School ERP backups] Action needed: A scheduled backup failed (school-server-1)');
    expect(mail?.text).toContain('What to do:');
    expect(mail?.text).toContain('start a backup by hand');
    expect(mail?.text).toContain(SAMPLE_MESSAGE.message);
    expect(mail?.text).not.toContain(LOGIN.pass);
  });

  it('refuses a wrong SMTP login as permanent, without the password', async () => {
    const wrong = new EmailChannel({
      smtpUrl: `smtp://alerts:wrong-pass-xyz@127.0.0.1:${smtp.port}`,
      to: 'head@school.example',
      from: FROM,
    });
    const error = await wrong.send(SAMPLE_MESSAGE).then(
      () => undefined,
      (reason: unknown) => reason as Error & { transient?: boolean },
    );
    expect(error?.message).toMatch(/refused the SMTP_URL login/);
    expect(error?.message).not.toContain('wrong-pass-xyz');
    expect(error?.transient).toBe(false);
  });
});
