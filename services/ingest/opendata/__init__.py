"""The Tweede Kamer's own open data (OData v4 of the Gegevensmagazijn) as events: motions with the cabinet's
appraisal and the votes, committee debates, and the register of commitments (Toezegging)."""
