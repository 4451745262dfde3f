/** The banner over a damaged workspace: what was lost, and for its owner a way to repair it. */
import { useState } from "react";
import type { Damage } from "../api/types";
import { describeDamage } from "./damage";

interface DamageBannerProps {
  damage: Damage;
  /** Whether the token may repair it (viewers may only read). */
  canRepair: boolean;
  repair(): Promise<void>;
}

export function DamageBanner({ damage, canRepair, repair }: DamageBannerProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function repairNow() {
    setBusy(true);
    setError(null);
    try {
      await repair();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div role="alert" className="damage-banner">
      <p>
        {describeDamage(damage)} You can read and export it; changes are refused until it is repaired.
      </p>
      {canRepair ? (
        <button type="button" disabled={busy} onClick={() => void repairNow()}>
          Repair: keep what loaded, drop what is missing
        </button>
      ) : null}
      {error === null ? null : <p className="damage-banner__error">{error}</p>}
    </div>
  );
}
