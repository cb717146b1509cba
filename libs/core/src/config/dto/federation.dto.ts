import { ArrayNotEmpty, IsArray, IsDefined, IsOptional, IsString } from "./class-validator.js";

import { expected, IsName, required } from "./validators.js";

/** Keys allowed under `federation`. */
export const FEDERATION_KEYS = ["servers", "node", "publish", "credentials"] as const;

/** Keys people reach for to put a secret inline; each is refused with a pointer to `credentials`. */
export const INLINE_SECRET_KEYS = [
  "token",
  "password",
  "pass",
  "user",
  "username",
  "nkey",
  "jwt",
  "seed",
] as const;

const SERVERS = "a list of NATS server URLs such as [nats://127.0.0.1:4222]";

/** The `federation` block as written in nerve.yaml. */
export class FederationDto {
  @IsDefined({ message: required("servers", SERVERS) })
  @IsArray({ message: expected(SERVERS) })
  @ArrayNotEmpty({ message: expected(`${SERVERS}, at least one`) })
  servers?: unknown;

  @IsDefined({ message: required("node", "this daemon's name in the cluster, such as edge-1") })
  @IsName("node")
  node?: unknown;

  @IsOptional()
  @IsArray({ message: expected('a list of sense names such as [disk-pressure], or ["*"] for all') })
  publish?: unknown;

  @IsOptional()
  @IsString({ message: expected("the path of a NATS credentials file (.creds)") })
  credentials?: unknown;
}
