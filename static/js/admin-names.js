// Names for the admin's autocomplete boxes (select2, drawn by Django's autocomplete.js).
// select2 names its combobox by the chosen value only (aria-labelledby its "rendered" box,
// whose title is that value): an empty box has no name at all (axe's aria-input-field-name).
// Each box is named by its field's <label> and the value it shows.
'use strict';
{
    function nameBox(select) {
        const label = document.querySelector(`label[for="${select.id}"]`);
        const container = select.nextElementSibling;
        if (!label || !container || !container.classList.contains('select2')) {
            return;
        }
        const combobox = container.querySelector('.select2-selection');
        const rendered = container.querySelector('.select2-selection__rendered');
        if (!combobox || !rendered) {
            return;
        }
        label.id = label.id || `${select.id}_label`;
        combobox.setAttribute('aria-labelledby', `${label.id} ${rendered.id}`);
        rendered.setAttribute('aria-label', label.textContent.trim().replace(/:$/, ''));
    }

    // autocomplete.js draws the boxes in a jQuery ready handler (run after the document has
    // loaded, in the order registered: this deferred script registers after it), and a new
    // inline row's boxes on formset:added (its listener runs first: this one waits a turn).
    const jQuery = window.django && window.django.jQuery;
    if (jQuery) {
        jQuery(() => document.querySelectorAll('select.admin-autocomplete').forEach(nameBox));
    }
    document.addEventListener('formset:added', (event) => {
        setTimeout(() => event.target.querySelectorAll('select.admin-autocomplete').forEach(nameBox));
    });
}
