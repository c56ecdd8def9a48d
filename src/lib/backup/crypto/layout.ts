/**
 * The byte layout of a backup file, unchanged since the earlier service so
 * its files stay readable:
 *
 *   [16-byte random IV][16-byte AES-256-GCM auth tag][ciphertext]
 *
 * The plaintext is gzip (possibly several concatenated members) of a JSON
 * document; see `format/document.ts` for its layout and versions.
 */
export const IV_BYTES = 16;
export const TAG_BYTES = 16;
export const PREFIX_BYTES = IV_BYTES + TAG_BYTES;
export const CIPHER = 'aes-256-gcm';
