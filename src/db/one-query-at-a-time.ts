// Prisma runs the sibling relations of a nested select (an assignment's
// template, period and submission) as parallel queries. Inside an interactive
// transaction they all go to the transaction's one pg client, which queues
// them but warns that this is deprecated ("Calling client.query() when the
// client is already executing a query"), and pg 9 will refuse it. Sending
// them one after another, in the order Prisma asked, is what pg did anyway.
import type { SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

function inTurn(tx: Transaction): Transaction {
  let last: Promise<unknown> = Promise.resolve();
  const queue = <T>(run: () => Promise<T>): Promise<T> => {
    const next = last.then(run);
    // A failed query fails its caller only; the next one still runs.
    last = next.catch(() => undefined);
    return next;
  };
  // Own properties, so the savepoint methods (which call this.executeRaw) queue too.
  const queryRaw = tx.queryRaw.bind(tx);
  const executeRaw = tx.executeRaw.bind(tx);
  tx.queryRaw = (query: SqlQuery) => queue(() => queryRaw(query));
  tx.executeRaw = (query: SqlQuery) => queue(() => executeRaw(query));
  return tx;
}

export function oneQueryAtATime(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const start = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => inTurn(await start(isolationLevel));
      return adapter;
    },
  };
}
