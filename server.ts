import { runServer } from './app/server';

runServer();
