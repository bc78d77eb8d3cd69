import type { NektarWriteClient } from "@nektar/sdk/browser";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { Address } from "viem";
import { useConfig, useConnection } from "wagmi";
import { getConnectorClient } from "wagmi/actions";
import { useMarketplace } from "../context.tsx";
import { NoAccountError, WrongWalletChainError } from "./errors.ts";

/** The account that signs: a connected wallet, or (development mode) a devnet account. */
export type Signer = {
  address: Address | undefined;
  source: "wallet" | "devnet" | undefined;
  /** A write client for the SDK's actions; throws NoAccountError / WrongWalletChainError. */
  writeClient(): Promise<NektarWriteClient>;
  devnetIndex: number | undefined;
  selectDevnetAccount(index: number | undefined): void;
};

const SignerContext = createContext<Signer | undefined>(undefined);

export function SignerProvider({ children }: { children: ReactNode }) {
  const { config, chain } = useMarketplace();
  const wagmi = useConfig();
  const connection = useConnection();
  const [devnetIndex, setDevnetIndex] = useState<number | undefined>(undefined);
  const [devnetAddress, setDevnetAddress] = useState<Address | undefined>(undefined);
  const devnet = config.devnet;

  useEffect(() => {
    if (devnet === undefined || devnetIndex === undefined) {
      setDevnetAddress(undefined);
      return;
    }
    let live = true;
    void import("./devnet.ts").then((m) => live && setDevnetAddress(m.devnetAddress(devnet.mnemonic, devnetIndex)));
    return () => {
      live = false;
    };
  }, [devnet, devnetIndex]);

  const walletAddress = connection.status === "connected" ? connection.address : undefined;
  const source = walletAddress !== undefined ? "wallet" : devnetAddress !== undefined ? "devnet" : undefined;

  const writeClient = useCallback(async (): Promise<NektarWriteClient> => {
    if (walletAddress !== undefined) {
      const actual = connection.chainId;
      if (actual !== undefined && actual !== chain.id) throw new WrongWalletChainError(chain.id, actual);
      return (await getConnectorClient(wagmi, { chainId: chain.id })) as NektarWriteClient;
    }
    if (devnet !== undefined && devnetIndex !== undefined) {
      const m = await import("./devnet.ts");
      return m.devnetWalletClient(chain, config.rpcUrl, devnet.mnemonic, devnetIndex);
    }
    throw new NoAccountError();
  }, [walletAddress, connection.chainId, chain, wagmi, devnet, devnetIndex, config.rpcUrl]);

  const value = useMemo<Signer>(
    () => ({
      address: walletAddress ?? devnetAddress,
      source,
      writeClient,
      devnetIndex,
      selectDevnetAccount: setDevnetIndex,
    }),
    [walletAddress, devnetAddress, source, writeClient, devnetIndex],
  );
  return <SignerContext.Provider value={value}>{children}</SignerContext.Provider>;
}

export function useSigner(): Signer {
  const s = useContext(SignerContext);
  if (s === undefined) throw new Error("useSigner outside SignerProvider");
  return s;
}
