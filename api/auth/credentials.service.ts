// Credentials as a service for the domain's clients (the demo seed, like the simulator, calls
// services only): a password or terminal secret becomes the stored scrypt hash here.
import { hashSecret } from './password';

/** The stored form (scrypt$N$salt$hash) of a password or terminal secret. */
export function hashCredential(secret: string): Promise<string> {
  return hashSecret(secret);
}
