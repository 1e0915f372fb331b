import { mount } from 'svelte';
import App from './App.svelte';
import { engineEvents } from './state/events';
import { sessions } from './state/sessions.svelte';
import { settings } from './state/settings.svelte';
import './styles/theme.css';
import './app.css';
import './styles/controls.css';
import './styles/workbench.css';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html lacks #app');

engineEvents.start();
void settings.load();
// Sessions the engine already holds (after a reload) get their tabs back.
void sessions.load().catch(() => {});

export default mount(App, { target });
