// Who is making the change sets written now: the signed-in user of the call being handled. The
// dispatcher runs each call inside `changeAuthor`, and the Mutator reads it when it writes a
// change set, so the author travels sealed in the envelope and an undo can take back one user's
// changes. Writes outside a user's call (sync applying others' changes, a restore) have none.
import { AsyncLocalStorage } from 'node:async_hooks';

export const changeAuthor = new AsyncLocalStorage<string>();
