import type { Detector, FindingKind } from '../types';
import { passwordSpray } from './passwordSpray';
import { bruteForce } from './bruteForce';
import { mfaFatigue } from './mfaFatigue';
import { impossibleTravel } from './impossibleTravel';
import { tokenReuse } from './tokenReuse';
import { legacyAuth } from './legacyAuth';
import { deviceCode } from './deviceCode';
import { passthrough } from './passthrough';
import { caFailureBurst } from './caFailureBurst';
import { newCountry } from './newCountry';
import { riskySignin } from './riskySignin';
import { interactiveMismatch } from './interactiveMismatch';

export const DETECTORS: readonly Detector[] = [
  passwordSpray,
  bruteForce,
  mfaFatigue,
  impossibleTravel,
  tokenReuse,
  legacyAuth,
  deviceCode,
  passthrough,
  caFailureBurst,
  newCountry,
  riskySignin,
  interactiveMismatch,
];

export function detectorFor(kind: FindingKind): Detector {
  const d = DETECTORS.find((x) => x.kind === kind);
  if (!d) throw new Error(`No detector for ${kind}`);
  return d;
}
