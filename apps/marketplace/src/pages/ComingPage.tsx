import { PageTitle } from "../components/PageTitle.tsx";

/** What a page of the restaking protocol will do; it shows no data because the contracts it reads do not exist yet. */
const PLANNED = {
  restake: {
    title: "Restake",
    text: "Deposit divETH, delegate it across operators with the risk shown (the Networks they serve and their slashing), withdraw through the queue and claim rewards.",
  },
  networks: {
    title: "Networks",
    text: "Each Network's stake secured, operators, reward rate paid and slashing kind and history; Network owners register and fund rewards.",
  },
  distributors: {
    title: "Distributors",
    text: "Distributors, their strategy, allocation across operators and share price; deposit and withdraw.",
  },
} as const;

export function ComingPage({ page }: { page: keyof typeof PLANNED }) {
  const p = PLANNED[page];
  return (
    <>
      <PageTitle>{p.title}</PageTitle>
      <p className="notice" role="note">
        {p.title} arrives with the Nektar restaking protocol, which is not deployed yet. There is nothing to show here
        until its contracts exist: this page shows no sample data.
      </p>
      <p>Planned: {p.text}</p>
    </>
  );
}
