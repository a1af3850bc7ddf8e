import 'reflect-metadata';
import { runApp } from '#platform';
import { standaloneApp } from './standalone.app.js';

await runApp(standaloneApp);
