import { mount } from 'svelte';
import App from './App.svelte';
import './styles/theme.css';
import './app.css';
import './styles/controls.css';
import './styles/workbench.css';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html lacks #app');

export default mount(App, { target });
