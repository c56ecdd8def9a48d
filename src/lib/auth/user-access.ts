import 'server-only';
import { z } from 'zod';
import type { PrismaClient } from '@/generated/prisma/client';
import { Role } from '@/generated/prisma/enums';
import { hashPassword } from './password';
import { revokeUserSessions, type TSessionEndReason } from './session-store';

export const ZUserAccessChange = z
  .object({
    // The same bound as sign-in; 8 characters is the least the seed's demo password has.
    password: z.string().min(8, 'A password needs at least 8 characters').max(1024).optional(),
    role: z.enum(Role).optional(),
    isActive: z.boolean().optional(),
  })
  .refine((change) => Object.values(change).some((value) => value !== undefined), 'Nothing to change');

export type TUserAccessChange = z.input<typeof ZUserAccessChange>;

/**
 * Changes what a user may do: their password, role or active flag. In the
 * same transaction it ends every session of the user when the password
 * changes, the role really changes or the user is deactivated, so no browser
 * signed in before keeps acting with the old rights, on any instance. This
 * is the one place such changes belong (the session's credential stamp also
 * ends sessions after a password or role change made elsewhere, but only
 * this records why). The caller checks who may make the change and audits
 * it. Throws with a readable message for invalid input or an unknown user.
 */
export async function changeUserAccess(
  prisma: PrismaClient,
  userId: string,
  change: TUserAccessChange,
  now: number = Date.now(),
): Promise<{ sessionsEnded: number }> {
  const parsed = ZUserAccessChange.safeParse(change);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join('; '));
  const { password, role, isActive } = parsed.data;
  const passwordHash = password === undefined ? undefined : await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: { role: true } });
    if (!before) throw new Error(`No user has the id ${userId}`);
    await tx.user.update({ where: { id: userId }, data: { passwordHash, role, isActive } });
    const reason: TSessionEndReason | null =
      isActive === false
        ? 'deactivated'
        : password !== undefined
          ? 'password-changed'
          : role !== undefined && role !== before.role
            ? 'role-changed'
            : null;
    return { sessionsEnded: reason ? await revokeUserSessions(tx, userId, reason, now) : 0 };
  });
}
